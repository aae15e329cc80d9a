"""Helpers shared by the test modules: plain functions and classes, imported as
``from support.registration import valid_data``. Fixtures live in the ``conftest.py``
files; no test module imports a ``conftest`` or another test module.

- ``assignment``: the workshop assignment checked by brute force;
- ``browsing``: axe-core, overflow and sign-in for the browser tests;
- ``databases``: the migrated template database and its copies (SQLite, PostgreSQL);
- ``documents``: PDFs read back, a day's certificate data;
- ``gunicorn_server``: a real gunicorn server as a subprocess;
- ``pages``: the visible text and CSRF token of an HTML page;
- ``registration``: a valid answer to the form, the e-mails sent, a known set of five;
- ``world``: a day with something of everything, and each route's parameters.
"""
