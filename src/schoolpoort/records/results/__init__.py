"""Results (report cards, method tests, CITO/LVS tests): a part of the records domain, sharing its
access rules (records/rules.py), its parts and its module switch ("records"). It keeps its own
Django app label "results", so its tables and migrations carry on unchanged."""
