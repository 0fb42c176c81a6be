from django.contrib import admin

from yuqi.interactions.models import Agent, Queue, Team


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "sl_target", "sl_seconds")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "team", "user")
    list_filter = ("team",)
    search_fields = ("code", "name")
