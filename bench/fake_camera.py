"""A fake camera for Chromium (--use-file-for-fake-video-capture): Y4M videos made from the
astronaut portrait that ships with scikit-image (NASA, public domain), for the mirror's browser
tests and `make bench-mirror`."""

from pathlib import Path

import numpy as np
from skimage import data
from skimage.transform import resize

WIDTH, HEIGHT = 320, 240
PORTRAIT = 400  # the 512 px photo scaled to this: her face is then about 90 px wide
FACE_CENTRE = (176, 98)  # the face's centre in the scaled photo, (x, y)
GREY = 128


def portrait() -> np.ndarray:
    return (resize(data.astronaut(), (PORTRAIT, PORTRAIT), anti_aliasing=True) * 255).astype(np.uint8)


def face_frame(photo: np.ndarray, face_x: int, face_y: int = HEIGHT // 2) -> np.ndarray:
    """An RGB frame with the photo placed so that her face's centre is at (face_x, face_y)."""
    frame = np.full((HEIGHT, WIDTH, 3), GREY, np.uint8)
    left, top = face_x - FACE_CENTRE[0], face_y - FACE_CENTRE[1]
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + PORTRAIT, WIDTH), min(top + PORTRAIT, HEIGHT)
    frame[y0:y1, x0:x1] = photo[y0 - top:y1 - top, x0 - left:x1 - left]
    return frame


def empty_frame() -> np.ndarray:
    """A plain wall: no face."""
    return np.full((HEIGHT, WIDTH, 3), GREY, np.uint8)


def yuv420(frame: np.ndarray) -> bytes:
    """Full-range BT.601 YCbCr (Y4M's C420jpeg), chroma averaged over 2 x 2 pixels."""
    rgb = frame.astype(np.float32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    v = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
    half = lambda plane: plane.reshape(HEIGHT // 2, 2, WIDTH // 2, 2).mean(axis=(1, 3))  # noqa: E731
    return b"".join(np.clip(p, 0, 255).round().astype(np.uint8).tobytes() for p in (y, half(u), half(v)))


def write_y4m(path: Path, segments: list[tuple[np.ndarray, float]], fps: int = 5) -> Path:
    """A video of still frames, each shown for its seconds; Chromium plays it in a loop."""
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame, seconds in segments:
            planes = yuv420(frame)
            for _ in range(round(seconds * fps)):
                out.write(b"FRAME\n" + planes)
    return path
