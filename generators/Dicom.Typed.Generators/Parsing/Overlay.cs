using System.Collections.Generic;
using System.Linq;
using Dicom.Typed.Generators.Model;

namespace Dicom.Typed.Generators.Parsing
{
    /// <summary>Resolves an overlay IOD (<c>baseTypeName</c>) into the base IOD's attributes with the overlay's attributes on top.</summary>
    internal static class Overlay
    {
        public static ParseResult Resolve(ParseResult overlay, EquatableArray<IodModel> all)
        {
            var iod = overlay.Iod!;
            var baseModel = all.FirstOrDefault(m => m.Namespace == iod.Namespace && m.TypeName == iod.BaseTypeName && m.BaseTypeName.Length == 0);
            if (baseModel == null)
            {
                var diags = overlay.Diagnostics.Concat(new[] { new DiagnosticInfo("DTG002", "Base IOD '" + iod.BaseTypeName + "' of overlay " + iod.TypeName + " is not defined in this device", iod.DefinitionFile, 1, 1, true) });
                return new ParseResult(iod, new EquatableArray<DiagnosticInfo>(diags));
            }
            var byName = new Dictionary<string, AttributeModel>();
            var order = new List<string>();
            foreach (var a in baseModel.Attributes) { byName[a.PropertyName] = a; order.Add(a.PropertyName); }
            foreach (var a in iod.Attributes)
            {
                if (!byName.ContainsKey(a.PropertyName)) order.Add(a.PropertyName);
                byName[a.PropertyName] = a;
            }
            var modules = baseModel.Modules.Concat(iod.Modules.Select(m => m with { Name = m.Name + " (overlay)" }));
            var merged = iod with
            {
                Attributes = new EquatableArray<AttributeModel>(order.Select(n => byName[n])),
                Modules = new EquatableArray<ModuleRef>(modules),
            };
            return new ParseResult(merged, overlay.Diagnostics);
        }
    }
}
