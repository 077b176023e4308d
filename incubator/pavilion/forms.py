from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import ProductCategory, Village

from .models import ProductProposal


class ProposalForm(forms.ModelForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=ProductCategory.objects.all())
    village = forms.ModelChoiceField(
        label=_("Village of origin"), queryset=Village.objects.select_related("township"), required=False
    )

    class Meta:
        model = ProductProposal
        fields = ["name", "category", "village", "season", "story"]
        widgets = {"story": forms.Textarea(attrs={"rows": 5})}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
