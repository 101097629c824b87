"""Training materials and their review, under /programmes/<code>/training/materials/."""

from django.urls import path

from . import views_review as views

urlpatterns = [
    path("", views.material_list, name="material_list"),
    path("new/", views.material_create, name="material_create"),
    path("mine/", views.review_mine, name="review_mine"),
    path("<int:pk>/", views.material_detail, name="material_detail"),
    path("<int:pk>/versions/new/", views.version_add, name="version_add"),
    path("<int:pk>/versions/<int:number>/download/", views.version_download, name="version_download"),
    path("<int:pk>/versions/<int:number>/review/", views.review_request, name="review_request"),
    path("review/<int:pk>/", views.review_assignment, name="review_assignment"),
    path("review/<int:pk>/comment/", views.review_comment, name="review_comment"),
    path("review/<int:pk>/decide/", views.review_decide, name="review_decide"),
]
