"""StreamField blocks of lessons and quizzes."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import VideoChooserBlock


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=200,
        help_text=_("Describe the picture for people who cannot see it; leave empty to use the caption."),
    )

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "courses/blocks/image_block.html"
        help_text = _("A photo or diagram, resized for phones.")


class VideoBlock(blocks.StructBlock):
    video = VideoChooserBlock(label=_("video"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video_block.html"
        help_text = _("An uploaded video file; it only downloads when the learner presses play.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("link text"), required=False, max_length=120)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document_block.html"
        help_text = _("A worksheet, checklist or template the learner can download.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(label=_("kind"), choices=[("tip", _("Tip")), ("warning", _("Warning"))], default="tip")
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        label = _("Tip or warning")
        template = "courses/blocks/callout_block.html"
        help_text = _("A short highlighted note: a good habit or a common mistake.")


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    steps = blocks.ListBlock(blocks.CharBlock(label=_("step"), max_length=300), label=_("steps"))

    class Meta:
        icon = "list-ol"
        label = _("Numbered steps")
        template = "courses/blocks/steps_block.html"
        help_text = _("A checklist of steps to follow in order.")


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        template="courses/blocks/text_block.html",
        help_text=_("Paragraphs of teaching text."),
    )
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    steps = StepsBlock()


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)

    class Meta:
        icon = "tick"
        label = _("Answer")


class QuestionBlock(blocks.StructBlock):
    """One quiz question. Its block id and its answers' ids are the keys stored in attempts."""

    text = blocks.CharBlock(label=_("question"), max_length=500)
    multiple = blocks.BooleanBlock(
        label=_("several answers may be right"),
        required=False,
        help_text=_("Tick for a multiple-choice question; leave empty when exactly one answer is right."),
    )
    choices = blocks.ListBlock(ChoiceBlock(), label=_("answers"), min_num=2)
    explanation = blocks.TextBlock(
        label=_("explanation"), required=False, help_text=_("Shown after the learner has answered.")
    )

    class Meta:
        icon = "help"
        label = _("Question")
        template = "courses/blocks/question_block.html"
        help_text = _("A single- or multiple-choice question with its explanation.")

    def clean(self, value):
        from django.core.exceptions import ValidationError

        from wagtail.blocks.struct_block import StructBlockValidationError

        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one answer as correct."))}
            )
        if correct > 1 and not value["multiple"]:
            raise StructBlockValidationError(
                block_errors={
                    "multiple": ValidationError(
                        _("Several answers are marked correct: tick “several answers may be right”.")
                    )
                }
            )
        return value


class QuizBlock(blocks.StreamBlock):
    question = QuestionBlock()
