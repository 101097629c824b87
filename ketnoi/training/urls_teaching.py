"""The co-teaching pages under /programmes/<code>/training/."""

from django.urls import path

from . import views_learners
from . import views_teaching as views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("setup/", views.setup, name="setup"),
    path("setup/courses/new/", views.course_form, name="course_create"),
    path("setup/courses/<int:pk>/", views.course_form, name="course_edit"),
    path("setup/courses/<int:course_pk>/topics/new/", views.topic_form, name="topic_create"),
    path("setup/courses/<int:course_pk>/topics/<int:pk>/", views.topic_form, name="topic_edit"),
    path("setup/campuses/new/", views.campus_form, name="campus_create"),
    path("setup/campuses/<int:pk>/", views.campus_form, name="campus_edit"),
    path("setup/semesters/new/", views.semester_form, name="semester_create"),
    path("setup/semesters/<int:pk>/", views.semester_form, name="semester_edit"),
    path("setup/commitment/", views.commitment_form, name="commitment"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/learners/", views_learners.class_learners, name="class_learners"),
    path(
        "classes/<int:pk>/learners/import/<int:import_pk>/progress/",
        views_learners.class_import_progress,
        name="class_import_progress",
    ),
    path("classes/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("classes/<int:pk>/attendance.xlsx", views.attendance_export, name="attendance_export"),
    path("classes/<int:pk>/calendar.ics", views.class_calendar, name="class_calendar"),
    path("lecturers/<int:person_pk>/calendar.ics", views.lecturer_calendar, name="lecturer_calendar"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/attendance/", views.attendance_save, name="attendance_save"),
    path("sessions/<int:pk>/evaluation/", views.session_evaluation, name="session_evaluation"),
]
