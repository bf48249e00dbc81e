// Shared mocha settings: tests are TypeScript run through tsx, and workspace packages resolve to
// their sources (the "strata-source" export condition), so tests never wait on a build.
module.exports = {
  'node-option': ['conditions=strata-source', 'import=tsx'],
  extension: ['ts'],
  timeout: 60000,
  reporter: 'dot',
};
