"""The demo world of DEMO.md: builds the core world (board, schools, groups, families, the fixed
accounts) and then asks every module's own ``demo.py`` to add its content."""
