# Issue 12: the reporter the copy names, kept apart from who published it.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_article_credits_and_section'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='byline',
            field=models.CharField(blank=True, help_text='اسم المراسل أو الكاتب، إن ذُكر.', max_length=200, verbose_name='الكاتب'),
        ),
    ]
