// Importing a gradient file registers its gradients; core's index imports this once.
import './unary.js';
import './binary.js';
import './reduce.js';
import './matmul.js';
import './fused-matmul.js';
import './softmax.js';
import './softmax-cross-entropy.js';
import './layout.js';
import './gather.js';
import './scan.js';
import './conv.js';
import './pool.js';
