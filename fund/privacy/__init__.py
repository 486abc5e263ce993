"""The privacy notice and the reviewers' confidentiality undertaking: reading, accepting, and
the secretariat publishing new versions."""
