using System;
using System.Linq;
using Dicom.Typed.Generators.Model;

namespace Dicom.Typed.Generators.Sr
{
    /// <summary>
    /// Gives an SR IOD (SR Document Content module) of a device with SR templates its typed content: the root-content
    /// attributes of the definition (Concept Name Code Sequence, Content Template Sequence, Content Sequence) are replaced by a
    /// <c>Content</c> member of the root template's class (sr-errata.json <c>iodTemplates</c> chooses another template per IOD).
    /// </summary>
    internal static class SrBinder
    {
        internal static readonly uint[] RootContentTags = { 0x0040A043u, 0x0040A504u, 0x0040A730u };

        public static ParseResult Bind(ParseResult result, EquatableArray<SrContentBinding> bindings)
        {
            var iod = result.Iod;
            if (iod == null || iod.Dimse.Length > 0 || !IsSr(iod)) return result;
            var binding = bindings.FirstOrDefault(b => b.Device == iod.Device && b.Iod == iod.TypeName)
                ?? bindings.FirstOrDefault(b => b.Device == iod.Device && b.Iod.Length == 0);
            if (binding == null) return result;
            var removed = iod.Attributes.Where(a => RootContentTags.Contains(a.Tag) && a.PrivateCreator.Length == 0).Select(a => a.PropertyName).ToList();
            var attrs = new EquatableArray<AttributeModel>(iod.Attributes.Where(a => !removed.Contains(a.PropertyName)));
            var modules = new EquatableArray<ModuleRef>(iod.Modules.Select(m => m with { PropertyNames = new EquatableArray<string>(m.PropertyNames.Where(p => !removed.Contains(p))) }));
            return result with { Iod = iod with { Attributes = attrs, Modules = modules, SrContent = binding.ClassName, SrTid = binding.Tid } };
        }

        private static bool IsSr(IodModel iod) =>
            iod.SopClassUid.StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal) || iod.Attributes.Any(a => a.Tag == 0x0040A730u || a.Tag == 0x0040A040u);
    }
}
