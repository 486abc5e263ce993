"""Domain rules the workflow's guards and several areas need, kept below the areas so that the
workflow never imports an area (DESIGN.md, section 4)."""
