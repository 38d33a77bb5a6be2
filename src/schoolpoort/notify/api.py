"""The one function every module calls to tell people something.

    from schoolpoort.notify.api import notify
    notify(recipients, event="news.published", key=f"news.post:{post.pk}", module="news",
           title=post.title, url=post.get_absolute_url(), school=post.school, urgent=post.urgent)

Call it inside the transaction of the action that caused it: the Broadcast row and its fan-out
task commit (or roll back) with the post. ``recipients`` are users or user ids; each gets one
notification per ``key`` however often they appear (a family with three children in one group
gets one). Title and url only: never grades, medical or absence details.
"""
