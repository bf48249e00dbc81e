// ONNX export: `exportOnnx` writes a file, `modelToOnnx` returns its bytes.
export { exportOnnx, modelToOnnx, ONNX_OPSET, ONNX_IR_VERSION, type ExportOnnxOptions } from './export-onnx.js';
export { OnnxExportError } from './errors.js';
export { onnxSupportedLayers } from './converters/index.js';
