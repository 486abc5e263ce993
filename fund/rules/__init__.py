"""Domain rules the workflow's guards and several areas need, kept below the areas so that the
workflow never imports an area (DESIGN.md, section 4): what a proposal, a concept note and a
progress report must hold before they are submitted (proposal_content, concept_content,
report_content, report_questions, with the fields' limits and answer changes they use), and
what a call's envelope has left (envelope)."""
