"""The modules a school switches on in phases. Each later issue fills one in; the home page
shows an empty state for those whose pages do not exist yet (``url_name`` is None)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Module(models.TextChoices):
    NEWS = "news", _("News")
    CALENDAR = "calendar", _("Calendar")
    CONFERENCES = "conferences", _("Parent-teacher conferences")
    ALBUMS = "albums", _("Photo albums")
    DOCUMENTS = "documents", _("Documents")
    SIGNUPS = "signups", _("Sign-ups and polls")
    ABSENCES = "absences", _("Absence reports")
    MESSAGES = "messages", _("Messages")
    CLASSLIST = "classlist", _("Class lists")
    RECORDS = "records", _("Records and results")


@dataclass(frozen=True)
class ModuleInfo:
    module: Module
    description: str
    icon: str  # id of an SVG symbol in web/_icons.html
    url_name: str | None = None  # None until the module's pages are built

    @property
    def code(self) -> str:
        return self.module.value

    @property
    def label(self) -> str:
        return self.module.label


MODULES: dict[str, ModuleInfo] = {
    info.code: info
    for info in [
        ModuleInfo(Module.NEWS, _("News and urgent messages from school and class."), "icon-news", "news:feed"),
        ModuleInfo(Module.CALENDAR, _("School calendar, also in your own agenda."), "icon-calendar", "calendar:list"),
        ModuleInfo(
            Module.CONFERENCES,
            _("Book a time for a conversation with the teacher."),
            "icon-conferences",
            "conferences:list",
        ),
        ModuleInfo(Module.ALBUMS, _("Photos of the school and the class."), "icon-albums", "albums:list"),
        ModuleInfo(Module.DOCUMENTS, _("The school guide, letters and protocols."), "icon-documents", "documents:list"),
        ModuleInfo(Module.SIGNUPS, _("Volunteer sign-ups and polls."), "icon-signups", "signups:index"),
        ModuleInfo(Module.ABSENCES, _("Report your child sick or absent."), "icon-absences", "absences:index"),
        ModuleInfo(Module.MESSAGES, _("Messages between parents and school."), "icon-messages", "messaging:inbox"),
        ModuleInfo(
            Module.CLASSLIST, _("Class lists with what families chose to share."), "icon-classlist", "classlist:index"
        ),
        ModuleInfo(
            Module.RECORDS, _("Your child's details, reports and test results."), "icon-records", "records:index"
        ),
    ]
}
