"""The results of a form and its exports (/programmes/<code>/surveys/<pk>/results/ …)."""

from django.urls import path

from . import views_results

urlpatterns = [
    path("<int:pk>/results/", views_results.results, name="results"),
    path("<int:pk>/results/compare/", views_results.results_compare, name="results_compare"),
    path("<int:pk>/export.<str:fmt>", views_results.export, name="export"),
]
