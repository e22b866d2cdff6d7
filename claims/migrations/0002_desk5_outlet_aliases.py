from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outlet",
            name="aliases",
            field=models.JSONField(
                blank=True, default=list, help_text='Other names of the outlet, e.g. ["TASS"]'
            ),
        ),
    ]
