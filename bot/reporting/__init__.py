"""Rendering the report (Word, HTML, charts) and the exports (Excel, CSV) from the domain's values
(:mod:`dialogen.reporting`). Nothing here computes a figure or reads the database."""
