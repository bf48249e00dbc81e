// Importing a gradient file registers its gradients; core's index imports this once.
import './unary.js';
import './binary.js';
import './reduce.js';
