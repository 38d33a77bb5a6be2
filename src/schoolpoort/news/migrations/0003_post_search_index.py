"""A GIN index on the posts' full-text document (title and body, the 'dutch' configuration), the
same expression ``lib.search.search_vector`` puts in the search's query. PostgreSQL only: SQLite
searches with icontains."""

from django.db import migrations

from schoolpoort.lib.search import gin_index_sql

INDEX = "news_post_search"
FIELDS = ("title", "body")


def create_index(apps, schema_editor):
    sql = gin_index_sql(apps.get_model("news", "Post"), INDEX, FIELDS, schema_editor)
    if sql:
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("news", "0002_feed_excerpt_and_order")]

    operations = [migrations.RunPython(create_index, drop_index)]
