"""The county office may put images, documents and media in lessons; lessons are reviewed by it.

Wagtail checks images, documents and media per collection (GroupCollectionPermission), not by
the model permissions alone: without these rows the office's image chooser has no upload and
/admin/images/multiple/add/ answers "no permission". The course editor role (mentors who write
lessons) is created here; its page permissions hang on the catalogue and are synced by
core.roles (the catalogue is a page the office creates, after migrations).

Wagtail's default "Moderators approval" workflow, on the root page, asks an empty Moderators
group: only a superuser could approve. The root page gets the county office's review (县电商办审核) instead.
"""

from django.db import migrations

OFFICE = "County office"
COURSE_EDITOR = "Course editor"
# Names are data shown in the admin as they are: in the county's language.
WORKFLOW = "县电商办审核"  # the county office's review
TASK = "县电商办审批"  # its one task: the office group approves

COLLECTION_PERMISSIONS = {
    OFFICE: [
        ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
        ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
        ("wagtailmedia", "media", ["add_media", "change_media"]),
    ],
    COURSE_EDITOR: [
        ("wagtailimages", "image", ["add_image", "choose_image"]),
        ("wagtaildocs", "document", ["add_document", "choose_document"]),
        ("wagtailmedia", "media", ["add_media"]),
    ],
}


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    office, _ = Group.objects.get_or_create(name=OFFICE)
    editor, _ = Group.objects.get_or_create(name=COURSE_EDITOR)
    groups = {OFFICE: office, COURSE_EDITOR: editor}

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for role, entries in COLLECTION_PERMISSIONS.items():
            for app_label, model, codenames in entries:
                for codename in codenames:
                    GroupCollectionPermission.objects.get_or_create(
                        group=groups[role],
                        collection=root_collection,
                        permission=_permission(apps, app_label, model, codename),
                    )

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.add(office)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupCollectionPermission.objects.filter(group__name__in=[OFFICE, COURSE_EDITOR]).delete()
    Workflow.objects.filter(name=WORKFLOW).delete()
    Group.objects.filter(name=COURSE_EDITOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_export_jobs"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
