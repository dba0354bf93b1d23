from django.conf import settings


def portal(request):
    return {"site_name": settings.DANVAN_SITE_NAME, "board_name": settings.DANVAN_BOARD_NAME}
