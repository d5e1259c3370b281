"""Geometry of the spine diagram (T1–L5): one rounded block per vertebra, growing downwards."""

from kyphocare import clinical as c

TOP = 12
GAP = 6
CENTRE = 130


def spine_levels(fractured=(), treated=()) -> dict:
    """Positions and states for the SVG template. Levels are clinical.Level values."""
    fractured, treated = set(fractured), set(treated)
    rows, y = [], TOP
    for i, level in enumerate(c.Level):
        height = 20 + round(i * 0.9)
        width = 46 + round(i * 1.9)
        rows.append(
            {
                "level": level.value,
                "region": level.region.value,
                "x": CENTRE - width // 2,
                "y": y,
                "width": width,
                "height": height,
                "text_y": y + height // 2 + 6,
                "fractured": level.value in fractured,
                "treated": level.value in treated,
            }
        )
        y += height + GAP
    return {"levels": rows, "height": y + TOP, "width": 260}
