"""A call's forms as data: the definition (sections of questions), its JSON Schema, the checks
on answers, and what may still change once proposals are in.

A helper package below the areas: the calls area builds definitions, the proposals area
renders and checks answers against them, and neither imports the other through it.
"""
