from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class HeroBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    image = ImageChooserBlock(label=_("Image"), required=False)
    button_text = blocks.CharBlock(label=_("Button text"), required=False, max_length=40)
    button_link = blocks.CharBlock(label=_("Button link"), required=False, help_text=_("A path such as /recruit/"))

    class Meta:
        icon = "pick"
        label = _("Hero")
        template = "blocks/hero_block.html"
        help_text = _("The large banner at the top of a page: a heading, a sentence and one button.")


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    body = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "blocks/section_block.html"
        help_text = _("A heading with a few paragraphs.")


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Figure"), max_length=30)
    label = blocks.CharBlock(label=_("What it counts"), max_length=60)


class FiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    figures = blocks.ListBlock(FigureBlock(), label=_("Figures"))

    class Meta:
        icon = "table"
        label = _("Key figures")
        template = "blocks/figures_block.html"
        help_text = _("Two to four big numbers, such as merchants incubated or online sales.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=[("tip", _("Tip")), ("warning", _("Warning"))], default="tip", label=_("Kind"))
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "blocks/callout_block.html"
        help_text = _("A highlighted tip or warning.")


class ContentStreamBlock(blocks.StreamBlock):
    hero = HeroBlock()
    section = SectionBlock()
    figures = FiguresBlock()
    callout = CalloutBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
    )
