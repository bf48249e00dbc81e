// Reading example settings from the environment.

/** A positive integer from the environment, or `fallback` when unset; exits with a message when malformed. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`${name} must be a positive integer; got ${JSON.stringify(raw)}.`);
    process.exit(1);
  }
  return n;
}
