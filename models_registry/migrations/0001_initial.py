"""The registry's tables, with what PostgreSQL needs beside them: the Vietnamese collation the name columns
use (models_registry/collation.py; SQLite connections register the same name) and trigram indexes on the
folded search columns (pg_trgm). Roles are not created here: every `migrate` syncs them (roles.py)."""

import django.core.validators
import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
import models_registry.models
from models_registry.collation import COLLATION, ICU_LOCALE
from django.conf import settings
from django.db import migrations, models


TRIGRAM_INDEXES = [
    ("models_registry_initiative", "initiative_search_trgm"),
    ("models_registry_organization", "organization_search_trgm"),
    ("models_registry_administrativeunit", "unit_search_trgm"),
]


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE COLLATION IF NOT EXISTS "{COLLATION}" (provider = icu, locale = \'{ICU_LOCALE}\')'
        )


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{COLLATION}"')


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite searches with LIKE over the whole column
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in TRIGRAM_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _table, name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(create_collation, drop_collation, elidable=False),
        migrations.CreateModel(
            name='CodeCounter',
            fields=[
                ('key', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('value', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'code counter',
                'verbose_name_plural': 'code counters',
            },
        ),
        migrations.CreateModel(
            name='ActivityField',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='code')),
                ('name', models.CharField(db_collation='vietnamese', max_length=200, verbose_name='name')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('parent', models.ForeignKey(blank=True, limit_choices_to={'parent__isnull': True}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sub_themes', to='models_registry.activityfield', verbose_name='standard field')),
            ],
            options={
                'verbose_name': 'field',
                'verbose_name_plural': 'fields',
                'ordering': ['order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='AdministrativeUnit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=16, verbose_name='code')),
                ('name', models.CharField(db_collation='vietnamese', max_length=200, verbose_name='name')),
                ('short_name', models.CharField(blank=True, db_collation='vietnamese', max_length=200, verbose_name='short name')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'province level'), (2, 'district level'), (3, 'commune level')], verbose_name='level')),
                ('unit_type', models.CharField(choices=[('tinh', 'province (tỉnh)'), ('thanh_pho', 'city (thành phố)'), ('huyen', 'rural district (huyện)'), ('quan', 'urban district (quận)'), ('thi_xa', 'town (thị xã)'), ('xa', 'commune (xã)'), ('phuong', 'ward (phường)'), ('thi_tran', 'township (thị trấn)'), ('dac_khu', 'special zone (đặc khu)')], max_length=16, verbose_name='type')),
                ('path', models.CharField(db_index=True, editable=False, max_length=255, verbose_name='path')),
                ('valid_from', models.DateField(blank=True, null=True, verbose_name='valid from')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid until')),
                ('current_path', models.CharField(blank=True, db_index=True, editable=False, max_length=255, verbose_name='path on the current map')),
                ('search_text', models.CharField(blank=True, editable=False, max_length=500)),
                ('current_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='models_registry.administrativeunit', verbose_name='counterpart on the current map')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='models_registry.administrativeunit', verbose_name='parent unit')),
            ],
            options={
                'verbose_name': 'administrative unit',
                'verbose_name_plural': 'administrative units',
                'ordering': ['edition', 'path'],
            },
        ),
        migrations.CreateModel(
            name='Initiative',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('code', models.CharField(max_length=32, unique=True, verbose_name='code')),
                ('title', models.CharField(db_collation='vietnamese', max_length=500, verbose_name='title')),
                ('kind', models.CharField(choices=[('collective', 'model (collective)'), ('individual', 'exemplar (individual)')], default='collective', max_length=16, verbose_name='kind')),
                ('person_name', models.CharField(blank=True, max_length=200, verbose_name="exemplar's full name")),
                ('person_position', models.CharField(blank=True, max_length=200, verbose_name="exemplar's position")),
                ('origin', models.CharField(choices=[('new', 'newly built'), ('replicated', 'replicated')], default='new', max_length=16, verbose_name='origin')),
                ('registration_year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2009), django.core.validators.MaxValueValidator(2100)], verbose_name='registration year')),
                ('start_date', models.DateField(blank=True, null=True, verbose_name='start date')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                ('situation', models.TextField(blank=True, verbose_name='situation and reason')),
                ('objectives', models.TextField(blank=True, verbose_name='objectives and targets')),
                ('content_methods', models.TextField(blank=True, verbose_name='content and methods')),
                ('area_beneficiaries', models.TextField(blank=True, verbose_name='area and beneficiaries')),
                ('participating_forces', models.TextField(blank=True, verbose_name='participating forces')),
                ('resources', models.TextField(blank=True, verbose_name='resources and budget')),
                ('budget_amount', models.BigIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0)], verbose_name='budget (VND)')),
                ('expected_outputs', models.TextField(blank=True, verbose_name='expected outputs')),
                ('sustainability', models.TextField(blank=True, verbose_name='sustainability and replicability')),
                ('contact_name', models.CharField(blank=True, max_length=200, verbose_name='contact person')),
                ('contact_phone', models.CharField(blank=True, max_length=30, validators=[django.core.validators.RegexValidator('^(\\+84|0)[0-9 .-]{8,14}$', 'Enter a Vietnamese phone number, for example 0905 123 456 or +84 905 123 456.')], verbose_name='contact phone')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='contact e-mail')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted'), ('accepted', 'accepted'), ('returned', 'returned for changes'), ('rejected', 'rejected')], default='draft', max_length=16, verbose_name='status')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('lifecycle', models.CharField(choices=[('active', 'running'), ('discontinued', 'discontinued')], default='active', max_length=16, verbose_name='lifecycle')),
                ('discontinued_reason', models.TextField(blank=True, verbose_name='reason for discontinuing')),
                ('discontinued_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year discontinued')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('search_text', models.TextField(blank=True, editable=False)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('field', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='models_registry.activityfield', verbose_name='field')),
                ('replicated_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replications', to='models_registry.initiative', verbose_name='replicated model')),
                ('review_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='models_registry.administrativeunit', verbose_name='reviewing unit')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='models_registry.administrativeunit', verbose_name='administrative unit')),
            ],
            options={
                'verbose_name': 'initiative',
                'verbose_name_plural': 'initiatives',
                'ordering': ['-registration_year', '-id'],
                'permissions': [('review_initiative', 'Can review registrations'), ('decide_any_in_scope', 'Can decide on any registration in scope'), ('import_initiative', 'Can import initiatives'), ('export_initiative', 'Can export initiatives')],
            },
            managers=[
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('plan', 'plan'), ('report', 'report'), ('photo', 'photo'), ('other', 'other document')], default='other', max_length=16, verbose_name='kind')),
                ('file', models.FileField(max_length=255, storage=models_registry.models.private_storage, upload_to=models_registry.models.attachment_path, verbose_name='file')),
                ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                ('content_type', models.CharField(max_length=100, verbose_name='content type')),
                ('size', models.PositiveBigIntegerField(default=0, verbose_name='size (bytes)')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='models_registry.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'attachment',
                'verbose_name_plural': 'attachments',
                'ordering': ['initiative', 'uploaded_at'],
            },
            managers=[
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='InitiativeTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, max_length=16, verbose_name='from')),
                ('to_status', models.CharField(max_length=16, verbose_name='to')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='changes')),
                ('snapshot', models.JSONField(blank=True, default=dict, editable=False, verbose_name='submitted registration')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='at')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='models_registry.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'status change',
                'verbose_name_plural': 'status changes',
                'ordering': ['-created_at', '-id'],
            },
            managers=[
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('name', models.CharField(db_collation='vietnamese', max_length=255, verbose_name='name')),
                ('category', models.CharField(choices=[('party', 'Party committee'), ('government', 'government body or agency'), ('front', 'Fatherland Front and socio-political organisation'), ('armed', 'armed forces'), ('residential', 'residential area'), ('enterprise', 'enterprise'), ('other', 'other')], max_length=16, verbose_name='category')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('search_text', models.CharField(blank=True, editable=False, max_length=400)),
                ('successor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='predecessors', to='models_registry.organization', verbose_name='merged into')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='organizations', to='models_registry.administrativeunit', verbose_name='administrative unit')),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'ordering': ['name'],
            },
            managers=[
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.AddField(
            model_name='initiative',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='models_registry.organization', verbose_name='registering organisation'),
        ),
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.CharField(max_length=64, verbose_name='record')),
                ('object_repr', models.CharField(max_length=255, verbose_name='record')),
                ('action', models.CharField(max_length=64, verbose_name='action')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='changes')),
                ('data', models.JSONField(blank=True, default=dict, verbose_name='details')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='at')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='kind of record')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='models_registry.administrativeunit', verbose_name='administrative unit')),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='models_registry.organization', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'audit entry',
                'verbose_name_plural': 'audit log',
                'ordering': ['-created_at', '-id'],
            },
            managers=[
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='StaffProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('position', models.CharField(blank=True, max_length=200, verbose_name='position')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='models_registry.organization', verbose_name='organisation')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='models_registry.administrativeunit', verbose_name='administrative unit')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_profile', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'staff profile',
                'verbose_name_plural': 'staff profiles',
            },
        ),
        migrations.CreateModel(
            name='UnitEdition',
            fields=[
                ('code', models.CharField(max_length=16, primary_key=True, serialize=False, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('valid_from', models.DateField(blank=True, null=True, verbose_name='valid from')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid until')),
                ('is_current', models.BooleanField(default=False, verbose_name='current edition')),
            ],
            options={
                'verbose_name': 'edition of administrative units',
                'verbose_name_plural': 'editions of administrative units',
                'ordering': ['valid_from'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('is_current',), name='unit_edition_one_current')],
            },
        ),
        migrations.AddField(
            model_name='administrativeunit',
            name='edition',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='units', to='models_registry.unitedition', verbose_name='edition'),
        ),
        migrations.CreateModel(
            name='UnitSuccession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_default', models.BooleanField(default=True, verbose_name='default successor')),
                ('effective_date', models.DateField(blank=True, null=True, verbose_name='effective date')),
                ('predecessor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='successions', to='models_registry.administrativeunit', verbose_name='old unit')),
                ('successor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='predecessions', to='models_registry.administrativeunit', verbose_name='new unit')),
            ],
            options={
                'verbose_name': 'unit succession',
                'verbose_name_plural': 'unit successions',
            },
        ),
        migrations.CreateModel(
            name='YearlyResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2009), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('is_running', models.BooleanField(default=True, verbose_name='still running')),
                ('participants', models.PositiveIntegerField(default=0, verbose_name='participants')),
                ('beneficiaries', models.PositiveIntegerField(default=0, verbose_name='beneficiaries')),
                ('value_mobilised', models.BigIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0)], verbose_name='value mobilised (VND)')),
                ('land_donated_m2', models.DecimalField(decimal_places=1, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(0)], verbose_name='land donated (m²)')),
                ('workdays', models.PositiveIntegerField(default=0, verbose_name='workdays')),
                ('narrative', models.TextField(blank=True, verbose_name='narrative')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='yearly_results', to='models_registry.initiative', verbose_name='initiative')),
                ('reported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reported by')),
            ],
            options={
                'verbose_name': 'yearly result',
                'verbose_name_plural': 'yearly results',
                'ordering': ['initiative', '-year'],
            },
            managers=[
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(fields=['unit', 'category'], name='org_unit_category_idx'),
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(fields=['status', 'registration_year', 'id'], name='initiative_status_year_id_idx'),
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(fields=['unit', 'status'], name='initiative_unit_status_idx'),
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(fields=['review_unit', 'status'], name='initiative_review_status_idx'),
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(fields=['field', 'registration_year'], name='initiative_field_year_idx'),
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(fields=['organization', 'registration_year'], name='initiative_org_year_idx'),
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(fields=['status', '-decided_at'], name='initiative_status_decided_idx'),
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(fields=['status', 'title', 'id'], name='initiative_status_title_idx'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('budget_amount__gte', 0)), name='initiative_budget_non_negative'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('origin', 'new'), ('replicated_from__isnull', True)), models.Q(('origin', 'replicated'), ('replicated_from__isnull', False)), _connector='OR'), name='initiative_replication_source_matches_origin'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('kind', 'collective'), models.Q(('person_name', ''), _negated=True), _connector='OR'), name='initiative_exemplar_names_person'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('lifecycle', 'active'), ('discontinued_year__isnull', False), _connector='OR'), name='initiative_discontinued_has_year'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('start_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='initiative_dates_in_order'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['content_type', 'object_id', 'created_at'], name='audit_object_idx'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['unit', 'created_at'], name='audit_unit_idx'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['created_at'], name='audit_created_idx'),
        ),
        migrations.AddIndex(
            model_name='administrativeunit',
            index=models.Index(fields=['edition', 'level'], name='unit_edition_level_idx'),
        ),
        migrations.AddConstraint(
            model_name='administrativeunit',
            constraint=models.UniqueConstraint(fields=('edition', 'code'), name='unit_code_unique_in_edition'),
        ),
        migrations.AddConstraint(
            model_name='unitsuccession',
            constraint=models.UniqueConstraint(fields=('predecessor', 'successor'), name='succession_unique_pair'),
        ),
        migrations.AddConstraint(
            model_name='unitsuccession',
            constraint=models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('predecessor',), name='succession_one_default'),
        ),
        migrations.AddConstraint(
            model_name='unitsuccession',
            constraint=models.CheckConstraint(condition=models.Q(('predecessor', models.F('successor')), _negated=True), name='succession_not_self'),
        ),
        migrations.AddIndex(
            model_name='yearlyresult',
            index=models.Index(fields=['year'], name='yearly_result_year_idx'),
        ),
        migrations.AddConstraint(
            model_name='yearlyresult',
            constraint=models.UniqueConstraint(fields=('initiative', 'year'), name='yearly_result_one_per_year'),
        ),
        migrations.AddConstraint(
            model_name='yearlyresult',
            constraint=models.CheckConstraint(condition=models.Q(('value_mobilised__gte', 0)), name='yearly_result_value_non_negative'),
        ),
        migrations.AddConstraint(
            model_name='yearlyresult',
            constraint=models.CheckConstraint(condition=models.Q(('land_donated_m2__gte', 0)), name='yearly_result_land_non_negative'),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
