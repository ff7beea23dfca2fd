"""Import and export of the programme office's spreadsheets: companies, engagements, KPIs and surveys."""

from consultant_app.io.columns import SHEETS
from consultant_app.io.export_form import Form
from consultant_app.io.exporter import ExportRefused, export_path
from consultant_app.io.importer import import_path
from consultant_app.io.problems import ImportCancelled, ImportFailed, ImportProblem, ImportResult
from consultant_app.io.readers import SourceUnreadable

__all__ = ["SHEETS", "ExportRefused", "Form", "ImportCancelled", "ImportFailed", "ImportProblem", "ImportResult",
           "SourceUnreadable", "export_path", "import_path"]
