// The loss curve, redrawn whole after each epoch: the y axis runs from 0 to the largest loss so
// far and the x axis spans every planned epoch, so the curve grows left to right as training goes.

/** The curve's colour; the e2e test looks for it in a screenshot. */
export const CURVE_COLOR = '#2563eb';
const AXIS_COLOR = '#9ca3af';
const PAD = 30;

/**
 * Draws `losses` (one per finished epoch) on `canvas`, out of `epochs` planned.
 *
 * @example
 * drawLossCurve(document.querySelector('canvas')!, [0.7, 0.5, 0.3], 40);
 */
export function drawLossCurve(canvas: HTMLCanvasElement, losses: readonly number[], epochs: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);

  ctx.strokeStyle = AXIS_COLOR;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(PAD, PAD / 2);
  ctx.lineTo(PAD, height - PAD);
  ctx.lineTo(width - PAD / 2, height - PAD);
  ctx.stroke();
  ctx.fillStyle = AXIS_COLOR;
  ctx.font = '12px sans-serif';
  ctx.fillText('loss', 2, PAD / 2 + 4);
  ctx.fillText(`epoch ${losses.length}/${epochs}`, width - 100, height - 8);
  if (losses.length === 0) return;

  const top = Math.max(...losses);
  const x = (i: number): number => PAD + ((width - 1.5 * PAD) * i) / Math.max(1, epochs - 1);
  const y = (loss: number): number => height - PAD - ((height - 1.5 * PAD) * loss) / top;
  ctx.strokeStyle = CURVE_COLOR;
  ctx.lineWidth = 3;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  losses.forEach((loss, i) => (i === 0 ? ctx.moveTo(x(i), y(loss)) : ctx.lineTo(x(i), y(loss))));
  // A single epoch is a point, not a line: draw it as a short tick so it shows.
  if (losses.length === 1) ctx.lineTo(x(0) + 2, y(losses[0]!));
  ctx.stroke();
}
