// Transforms from the front drawing's coordinates to the camera picture, fitted by least squares
// to anchor points (app/content/face_anchors.yaml). A matrix is [a, b, c, d, e, f] as in SVG's
// matrix(): x' = a x + c y + e, y' = b x + d y + f.

// Solve the 3x3 system m v = r by Cramer's rule; null if it is singular.
function solve3(m, r) {
  const det = (k) =>
    k[0][0] * (k[1][1] * k[2][2] - k[1][2] * k[2][1]) -
    k[0][1] * (k[1][0] * k[2][2] - k[1][2] * k[2][0]) +
    k[0][2] * (k[1][0] * k[2][1] - k[1][1] * k[2][0]);
  const d = det(m);
  if (Math.abs(d) < 1e-9) return null;
  return [0, 1, 2].map((column) => det(m.map((row, i) => row.map((value, j) => (j === column ? r[i] : value)))) / d);
}

// Affine: six parameters, so a turned or tilted face foreshortens the drawing with it.
export function fitAffine(from, to) {
  const normal = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const rx = [0, 0, 0];
  const ry = [0, 0, 0];
  from.forEach(([x, y], i) => {
    const row = [x, y, 1];
    for (let j = 0; j < 3; j += 1) {
      for (let k = 0; k < 3; k += 1) normal[j][k] += row[j] * row[k];
      rx[j] += row[j] * to[i][0];
      ry[j] += row[j] * to[i][1];
    }
  });
  const xs = solve3(normal, rx);
  const ys = solve3(normal, ry);
  return xs && ys ? [xs[0], ys[0], xs[1], ys[1], xs[2], ys[2]] : null;
}

// Similarity: move, turn and scale only, for places past the landmarks (the neck).
export function fitSimilarity(from, to) {
  const mean = (points, axis) => points.reduce((sum, point) => sum + point[axis], 0) / points.length;
  const [fx, fy, tx, ty] = [mean(from, 0), mean(from, 1), mean(to, 0), mean(to, 1)];
  let dot = 0;
  let cross = 0;
  let norm = 0;
  from.forEach(([x, y], i) => {
    const [px, py, qx, qy] = [x - fx, y - fy, to[i][0] - tx, to[i][1] - ty];
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  });
  if (norm < 1e-9) return null;
  const [a, b] = [dot / norm, cross / norm];
  return [a, b, -b, a, tx - (a * fx - b * fy), ty - (b * fx + a * fy)];
}

export const FITS = { affine: fitAffine, similarity: fitSimilarity };

export function apply(m, [x, y]) {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

// A step of the way from one matrix to another: between detections the drawing glides there.
export function approach(current, target, share) {
  return current.map((value, i) => value + (target[i] - value) * share);
}

export function box(points) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
