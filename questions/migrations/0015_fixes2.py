import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0014_fixes1"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="retry_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="retries",
                to="questions.attempt",
            ),
        ),
    ]
