from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = "Analysis and jobs"

    def ready(self) -> None:
        from analysis import jobkinds  # noqa: F401  (registers the analysis job kinds)
