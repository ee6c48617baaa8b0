"""Operations across the layers of a database (tables with fields, rows and views)."""
