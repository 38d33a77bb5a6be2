from django.contrib import admin

from . import models


@admin.register(models.Board)
class BoardAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(models.School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "brin", "board", "city"]
    search_fields = ["name", "brin"]


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "school_year"]
    list_filter = ["school", "school_year"]
    filter_horizontal = ["teachers"]


@admin.register(models.Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["full_name", "school", "sis_id", "archived_at"]
    list_filter = ["school"]
    search_fields = ["first_name", "last_name", "sis_id"]


@admin.register(models.Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ["student", "user", "relation", "has_parental_authority", "sees_class_pages"]
    raw_id_fields = ["student", "user"]


@admin.register(models.StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role"]
    list_filter = ["school", "role"]
    raw_id_fields = ["user"]


admin.site.register(models.SchoolYear)
admin.site.register(models.BoardMembership)
admin.site.register(models.ModuleSwitch)
admin.site.register(models.ModuleClosure)


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "school", "action", "object_type", "object_id"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
