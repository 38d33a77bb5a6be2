from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"


@login_required
def account(request):
    return HttpResponse("TODO")


def register(request):
    return HttpResponse("TODO")


def ratelimited(request, exception):
    return HttpResponse("Too many attempts", status=429)


def locked_out(request, credentials, *args, **kwargs):
    return HttpResponse("Locked out", status=429)
