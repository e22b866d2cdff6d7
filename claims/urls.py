from django.urls import path

from claims import views

app_name = "claims"
urlpatterns = [
    path("articles/", views.article_list, name="articles"),
    path("articles/new/", views.article_new, name="article_new"),
    path("outlets/new/", views.outlet_new, name="outlet_new"),
]
