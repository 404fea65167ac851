"""The account's own pages besides signing in (chibo/urls.py): the second factor."""

from django.urls import path

from chibo.accounts import views

urlpatterns = [
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/enrol/", views.enrol, name="second_factor_enrol"),
    path("second-factor/verify/", views.verify, name="second_factor_verify"),
    path("second-factor/recovery-codes/", views.recovery_codes,
         name="second_factor_recovery_codes"),
    path("second-factor/remove/", views.remove, name="second_factor_remove"),
]
