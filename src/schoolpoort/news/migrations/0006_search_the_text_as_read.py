"""The search reads the body as the reader sees it (``Post.search_text``), not its source: the GIN
index moves from (title, body) to (title, search_text), and every post gets its text."""

from django.db import migrations, models

from schoolpoort.news.rendering import searchable_text

INDEX = "news_post_search"


def fill_search_text(apps, schema_editor):
    Post = apps.get_model("news", "Post")
    # The historical manager: no scopes, every school's posts.
    posts = Post._base_manager.only("pk", "body_html").order_by("pk")
    batch = []
    for post in posts.iterator(chunk_size=2000):
        post.search_text = searchable_text(post.body_html)
        batch.append(post)
        if len(batch) == 2000:
            Post._base_manager.bulk_update(batch, ["search_text"])
            batch = []
    Post._base_manager.bulk_update(batch, ["search_text"])


def index_on(fields):
    def create(apps, schema_editor):
        from schoolpoort.lib.search import gin_index_sql

        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        sql = gin_index_sql(apps.get_model("news", "Post"), INDEX, fields, schema_editor)
        if sql:
            schema_editor.execute(sql)

    return create


class Migration(migrations.Migration):
    dependencies = [("news", "0005_rich_text_body_and_inline_images")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_text",
            field=models.TextField(blank=True, db_default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(index_on(("title", "search_text")), index_on(("title", "body"))),
    ]
