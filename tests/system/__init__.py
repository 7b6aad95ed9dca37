"""System tier: PostgreSQL, LibreOffice, kills and crashes, durability, hostile corpora end to
end, the benchmark smoke run, the wheel, offline and layer checks, the README."""
