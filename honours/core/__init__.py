"""What every feature shares. Imports no feature (import-linter checks it): the database base, errors, clock,
text, i18n, reference lists, forms, concurrency, storage, the workflow engine, audit, outbox and web helpers."""
