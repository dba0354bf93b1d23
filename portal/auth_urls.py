"""Log-in, log-out, password and two-step sign-in pages of the staff area (Django's auth views, portal templates).

Included without a namespace: the auth views and `LOGIN_URL = "login"` use the plain names. The templates
have their own names so that the admin's password pages keep theirs.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_views

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="registration/login.html",
                                                     next_page="portal:staff_list",
                                                     redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),  # back to the home page
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(
        template_name="registration/portal_password_change_form.html"), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/portal_password_change_done.html"), name="password_change_done"),
    path("xac-thuc-hai-buoc/", account_views.two_factor_setup, name="two_factor_setup"),
    path("xac-thuc-hai-buoc/ma-du-phong/", account_views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("xac-thuc-hai-buoc/tat/", account_views.two_factor_turn_off, name="two_factor_turn_off"),
    path("ma-xac-thuc/", account_views.two_factor_verify, name="two_factor_verify"),
    path("quen-mat-khau/", auth_views.PasswordResetView.as_view(
        template_name="registration/portal_password_reset_form.html",
        email_template_name="registration/portal_password_reset_email.txt",
        subject_template_name="registration/portal_password_reset_subject.txt"), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(
        template_name="registration/portal_password_reset_done.html"), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="registration/portal_password_reset_confirm.html"), name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/portal_password_reset_complete.html"), name="password_reset_complete"),
]
