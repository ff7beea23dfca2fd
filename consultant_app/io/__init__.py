"""Import and export of the programme office's spreadsheets: companies, engagements, KPIs and surveys."""

from consultant_app.io.columns import SHEETS
from consultant_app.io.exporter import export_path
from consultant_app.io.importer import import_path
from consultant_app.io.problems import ImportCancelled, ImportFailed, ImportProblem, ImportResult
from consultant_app.io.readers import SourceUnreadable

__all__ = ["SHEETS", "ImportCancelled", "ImportFailed", "ImportProblem", "ImportResult", "SourceUnreadable",
           "export_path", "import_path"]
