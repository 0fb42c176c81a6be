from django.contrib import admin

from yuqi.insights import models


@admin.register(models.PeerCentre)
class PeerCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "industry", "region")
    search_fields = ("name",)


@admin.register(models.PeerIndicatorValue)
class PeerIndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("peer", "indicator", "period_start", "period_end", "value", "source")
    list_filter = ("indicator",)


@admin.register(models.Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


@admin.register(models.PeerOffering)
class PeerOfferingAdmin(admin.ModelAdmin):
    list_display = ("peer", "offering", "since", "source")


@admin.register(models.OurOffering)
class OurOfferingAdmin(admin.ModelAdmin):
    list_display = ("offering", "since")


@admin.register(models.IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "target")
