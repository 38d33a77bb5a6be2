from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from schoolpoort.core.overview import home_overview


@login_required
def home(request):
    return render(request, "web/home.html", {"overview": home_overview(request.user)})


def offline(request):
    return render(request, "web/offline.html")
