"""Collections, curation and the delivery register (mounted at
/programmes/<code>/library/collections/, namespace "library")."""

from django.urls import path

from . import views_curation as views

urlpatterns = [
    path("", views.collections, name="collections"),
    path("new/", views.collection_create, name="collection_create"),
    path("register/", views.register, name="register"),
    path("register.xlsx", views.register_export, name="register_export"),
    path("<int:pk>/", views.collection_detail, name="collection_detail"),
    path("<int:pk>/edit/", views.collection_edit, name="collection_edit"),
    path("<int:pk>/propose/", views.item_propose, name="item_propose"),
    path("<int:pk>/deliver/", views.item_deliver, name="item_deliver"),
    path("<int:pk>/items/<int:item_pk>/select/", views.item_select, name="item_select"),
    path("<int:pk>/items/<int:item_pk>/decline/", views.item_decline, name="item_decline"),
    path("<int:pk>/items/<int:item_pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
]
urlpatterns.append(
    path("<int:pk>/items/<int:item_pk>/undo-delivery/", views.item_undo_delivery, name="item_undo_delivery")
)
