# Issue 10: the import log gains two outcomes: a stored draft released by an
# import, and a change the importing user was refused (articles.permissions).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0006_article_released_at'),
    ]

    operations = [
        migrations.AlterField(
            model_name='importrecord',
            name='action',
            field=models.CharField(choices=[('created', 'أُنشئ'), ('updated', 'حُدِّث'), ('published', 'نُشر'), ('unchanged', 'بلا تغيير'), ('conflict', 'تعارض'), ('refused', 'رُفض'), ('failed', 'فشل')], db_index=True, max_length=10, verbose_name='النتيجة'),
        ),
    ]
