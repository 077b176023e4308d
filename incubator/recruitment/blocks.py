"""Blocks of a campaign page body: short sections an editor stacks up (what, who, how)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"), max_length=80)
    text = blocks.TextBlock(label=_("Text"), required=False)


class StepsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120, required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"))

    class Meta:
        icon = "list-ol"
        label = _("Steps")
        template = "recruitment/blocks/steps_block.html"
        help_text = _("Numbered steps, such as apply, interview, training, opening the shop.")


class BenefitsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120, required=False)
    items = blocks.ListBlock(blocks.CharBlock(max_length=120), label=_("Benefits"))

    class Meta:
        icon = "tick-inverse"
        label = _("Benefits")
        template = "recruitment/blocks/benefits_block.html"
        help_text = _("What a partner gets: free training, a mentor, help with logistics...")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "recruitment/blocks/image_block.html"
        help_text = _("A photo with an optional caption; shown at the width of a phone screen.")


class CampaignStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        template="recruitment/blocks/paragraph_block.html",
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        help_text=_("Text with headings and lists."),
    )
    steps = StepsBlock()
    benefits = BenefitsBlock()
    image = ImageBlock()
