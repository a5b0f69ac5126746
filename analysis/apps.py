from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = "Analysis and jobs"

    def ready(self) -> None:
        from analysis import fit_import, video_analysis  # noqa: F401  (register the job kinds
