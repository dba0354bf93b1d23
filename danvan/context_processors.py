from django.conf import settings


def portal(request):
    # Not "site_name": Django's log-in and password views put the request's host under that name.
    return {"portal_name": settings.DANVAN_SITE_NAME, "board_name": settings.DANVAN_BOARD_NAME}
