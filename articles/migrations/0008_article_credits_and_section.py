# Issue 12: every agency or outlet the copy credits, in order, and the desk it
# was filed under.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_import_refused_and_published'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='credits',
            field=models.JSONField(blank=True, default=list, help_text='كل وكالة أو وسيلة ذكرها الخبر، بترتيبها؛ المصدر أولها.', verbose_name='الجهات المذكورة'),
        ),
        migrations.AddField(
            model_name='article',
            name='section',
            field=models.CharField(blank=True, help_text='القسم الذي أُرسل الخبر تحته، إن ذُكر.', max_length=50, verbose_name='القسم'),
        ),
    ]
