from django.urls import path

from carecommons.listening.views import conversations, themes

app_name = "listening"

urlpatterns = [
    path("", conversations.lab_list, name="lab_list"),
    path("follow-ups/", conversations.follow_ups, name="follow_ups"),
    path("lab/<uuid:lab_id>/", conversations.conversation_list, name="conversation_list"),
    path("lab/<uuid:lab_id>/new/", conversations.conversation_create, name="conversation_create"),
    path("lab/<uuid:lab_id>/ladder/", conversations.ladder, name="ladder"),
    path("c/<uuid:conversation_id>/", conversations.conversation_detail, name="conversation_detail"),
    path("c/<uuid:conversation_id>/edit/", conversations.conversation_edit, name="conversation_edit"),
    path("c/<uuid:conversation_id>/follow-up-done/", conversations.follow_up_done, name="follow_up_done"),
    path("c/<uuid:conversation_id>/issues/new/", themes.issue_create, name="issue_create"),
    path("issues/<uuid:issue_id>/", themes.issue_detail, name="issue_detail"),
    path("lab/<uuid:lab_id>/themes/", themes.theme_list, name="theme_list"),
    path("lab/<uuid:lab_id>/themes/new/", themes.theme_create, name="theme_create"),
    path("lab/<uuid:lab_id>/untagged/", themes.untagged, name="untagged"),
    path("themes/<uuid:theme_id>/", themes.theme_detail, name="theme_detail"),
]
