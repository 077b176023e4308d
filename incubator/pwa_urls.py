"""Addresses of the offline and install support (incubator/pwa.py). The service worker and the
manifest live at the site root: a worker's scope cannot be wider than its own address."""

from django.urls import path

from incubator import pwa

app_name = "pwa"

urlpatterns = [
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("robots.txt", pwa.robots_txt, name="robots_txt"),
]
