# Issue 14: how a story is shared (articles.sharing): a description and a title for link cards.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_search_lexicon'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='description',
            field=models.CharField(blank=True, help_text='يظهر تحت الرابط في محركات البحث وبطاقات المشاركة؛ يُعرض منه نحو 160 حرفاً. اتركه فارغاً ليُستعمل مطلع الخبر.', max_length=300, verbose_name='الوصف'),
        ),
        migrations.AddField(
            model_name='article',
            name='social_title',
            field=models.CharField(blank=True, help_text='عنوان الخبر في بطاقات المشاركة على مواقع التواصل، إن أردته أقصر من العنوان. اتركه فارغاً ليُستعمل العنوان نفسه.', max_length=120, verbose_name='عنوان المشاركة'),
        ),
    ]
